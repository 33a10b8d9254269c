import sharp from 'sharp'

/**
 * Pictures drawn here, from fixed numbers: no download, no randomness, no
 * font (an SVG of shapes, rasterized to PNG by sharp). The app stores them
 * the way it stores an upload.
 */
const HUES = [210, 12, 145, 280, 38, 330, 185, 95, 255, 0]
/** Skies: blues, a dusk and a dawn. */
const SKIES = [205, 195, 25, 215, 265, 185]

async function png(svg: string) {
  return sharp(Buffer.from(svg)).png().toBuffer()
}

/** A profile picture: a figure on a coloured ground, its colours from `seed`. */
export function avatar(seed: number) {
  const hue = HUES[seed % HUES.length]
  const shade = 35 + ((seed * 7) % 25)
  return png(`<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256">
  <rect width="256" height="256" fill="hsl(${hue}, 60%, ${shade}%)"/>
  <circle cx="128" cy="104" r="${44 + (seed % 4) * 3}" fill="hsl(${hue}, 70%, 88%)"/>
  <ellipse cx="128" cy="250" rx="${84 + (seed % 3) * 6}" ry="78" fill="hsl(${hue}, 70%, 88%)"/>
</svg>`)
}

/** A post's picture: a landscape (sky, sun, two hills), its colours from `seed`. */
export function landscape(seed: number) {
  const sky = SKIES[seed % SKIES.length]
  const land = HUES[(seed + 3) % HUES.length]
  const sunX = 160 + ((seed * 131) % 480)
  return png(`<svg xmlns="http://www.w3.org/2000/svg" width="800" height="500">
  <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="hsl(${sky}, 70%, 55%)"/>
    <stop offset="1" stop-color="hsl(${sky}, 60%, 85%)"/>
  </linearGradient></defs>
  <rect width="800" height="500" fill="url(#sky)"/>
  <circle cx="${sunX}" cy="140" r="60" fill="hsl(48, 95%, 62%)"/>
  <path d="M0 360 Q 200 ${240 + (seed % 5) * 20} 420 350 T 800 330 V 500 H 0 Z" fill="hsl(${land}, 45%, 40%)"/>
  <path d="M0 430 Q 260 360 520 420 T 800 410 V 500 H 0 Z" fill="hsl(${land}, 50%, 28%)"/>
</svg>`)
}
