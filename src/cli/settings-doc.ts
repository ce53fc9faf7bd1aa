/** Writes docs/settings.md from the settings schema: npm run docs:settings */
import { writeFileSync } from 'node:fs';
import { settingsMarkdown } from '../shared/settings-doc';

writeFileSync(new URL('../../docs/settings.md', import.meta.url), settingsMarkdown());
console.log('docs/settings.md written');
