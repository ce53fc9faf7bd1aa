import { afterAll, beforeAll } from 'vitest';
import type { FakeEdgeOptions } from '../../src/fakes/fake-edge-tts-server';
import type { FakeOpenAiOptions } from '../../src/fakes/fake-openai-server';
import { startFakes, type Fakes } from './pipeline-fixture';

/**
 * The fake upstreams for one test file: started before its tests, stopped after. The returned
 * object reads through to them, so tests use `fakes.llm` / `fakes.tts` as usual.
 */
export function useFakes(llm: FakeOpenAiOptions = {}, tts: FakeEdgeOptions = {}): Fakes {
  let fakes: Fakes | undefined;
  beforeAll(async () => {
    fakes = await startFakes(llm, tts);
  });
  afterAll(async () => {
    await fakes?.close();
  });
  const current = () => {
    if (!fakes) throw new Error('the fakes are only available inside tests');
    return fakes;
  };
  return {
    get llm() {
      return current().llm;
    },
    get tts() {
      return current().tts;
    },
    close: () => current().close(),
  };
}
