import type { Page } from '@playwright/test';

/** What a screenshot of the page with a transparent background shows. */
export interface ScreenshotStats {
  /** Share of the pixels that are (nearly) opaque: the avatar and anything else drawn. */
  opaqueShare: number;
  /** Distinct colours among them (4 bits a channel). */
  colours: number;
  /** Alpha of the top-left and top-right pixels. */
  corners: number[];
}

/** Screenshots the page without its background and counts what is drawn (decoded in the page). */
export async function screenshotStats(page: Page): Promise<ScreenshotStats> {
  const png = await page.screenshot({ omitBackground: true });
  return page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(image, 0, 0);
    const { data } = ctx.getImageData(0, 0, image.width, image.height);
    let opaque = 0;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]! > 200) {
        opaque++;
        colours.add((data[i]! >> 4) * 256 + (data[i + 1]! >> 4) * 16 + (data[i + 2]! >> 4));
      }
    }
    const corner = (x: number, y: number) => data[(y * image.width + x) * 4 + 3]!;
    return {
      opaqueShare: opaque / (image.width * image.height),
      colours: colours.size,
      corners: [corner(0, 0), corner(image.width - 1, 0)],
    };
  }, png.toString('base64'));
}
