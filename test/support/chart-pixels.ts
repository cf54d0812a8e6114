import type { Locator } from 'playwright-core';

/**
 * How many bars a canvas chart (uPlot) has painted: runs of pixel columns with anything drawn
 * in them, read back from the canvas. Axes and grid are off in the Metrics page's charts, so
 * every run is a bar.
 */
export async function paintedBars(chart: Locator): Promise<number> {
  return chart
    .locator('canvas')
    .first()
    .evaluate((canvas: HTMLCanvasElement) => {
      const context = canvas.getContext('2d');
      if (!context) return 0;
      const { width, height } = canvas;
      const pixels = context.getImageData(0, 0, width, height).data;
      let runs = 0;
      let inRun = false;
      for (let x = 0; x < width; x++) {
        let painted = false;
        for (let y = 0; y < height && !painted; y++) painted = (pixels[(y * width + x) * 4 + 3] ?? 0) > 0;
        if (painted && !inRun) runs++;
        inRun = painted;
      }
      return runs;
    });
}
