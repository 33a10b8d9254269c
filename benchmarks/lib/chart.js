/*
| The results chart, drawn by hand as SVG: one row per HTTP scenario, a bar
| for its requests/s (the floor's in grey, the app's in blue) and a dot for
| its p99 on a second scale.
*/
const escape = (text) =>
  String(text).replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]
  )

function niceMax(value) {
  const power = 10 ** Math.floor(Math.log10(Math.max(value, 1)))
  return Math.ceil(value / power) * power
}

export function chart(rows, { title, subtitle }) {
  const labelWidth = 250
  const barWidth = 420
  const p99Width = 200
  const rowHeight = 34
  const top = 78
  const width = labelWidth + barWidth + p99Width + 70
  const height = top + rows.length * rowHeight + 44
  const maxRps = niceMax(Math.max(...rows.map((r) => r.rps)))
  const maxP99 = niceMax(Math.max(...rows.map((r) => r.p99)))
  const x0 = labelWidth
  const p0 = labelWidth + barWidth + 50

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="16" y="24" font-size="16" font-weight="600">${escape(title)}</text>`,
    `<text x="16" y="44" fill="#555">${escape(subtitle)}</text>`,
    `<text x="${x0}" y="${top - 10}" fill="#333" font-weight="600">requests/s (0–${maxRps.toLocaleString('en')})</text>`,
    `<text x="${p0}" y="${top - 10}" fill="#333" font-weight="600">p99 ms (0–${maxP99})</text>`,
  ]
  for (const fraction of [0, 0.25, 0.5, 0.75, 1]) {
    const x = x0 + fraction * barWidth
    const px = p0 + fraction * p99Width
    const bottom = top + rows.length * rowHeight
    parts.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${bottom}" stroke="#eee"/>`)
    parts.push(`<line x1="${px}" y1="${top}" x2="${px}" y2="${bottom}" stroke="#eee"/>`)
    parts.push(
      `<text x="${x}" y="${bottom + 14}" fill="#777" text-anchor="middle">${Math.round(fraction * maxRps).toLocaleString('en')}</text>`
    )
    parts.push(
      `<text x="${px}" y="${bottom + 14}" fill="#777" text-anchor="middle">${Math.round(fraction * maxP99 * 10) / 10}</text>`
    )
  }
  rows.forEach((row, index) => {
    const y = top + index * rowHeight
    const color = row.floor ? '#9e9e9e' : '#2f6fdb'
    const w = Math.max(1, (row.rps / maxRps) * barWidth)
    const cx = p0 + (row.p99 / maxP99) * p99Width
    parts.push(`<text x="${x0 - 8}" y="${y + 21}" text-anchor="end">${escape(row.label)}</text>`)
    parts.push(`<rect x="${x0}" y="${y + 8}" width="${w.toFixed(1)}" height="18" fill="${color}"/>`)
    parts.push(
      `<text x="${x0 + w + 4}" y="${y + 21}" fill="#333">${Math.round(row.rps).toLocaleString('en')}</text>`
    )
    parts.push(
      `<line x1="${p0}" y1="${y + 17}" x2="${cx.toFixed(1)}" y2="${y + 17}" stroke="${color}" stroke-width="2"/>`
    )
    parts.push(`<circle cx="${cx.toFixed(1)}" cy="${y + 17}" r="5" fill="${color}"/>`)
    parts.push(`<text x="${cx + 8}" y="${y + 21}" fill="#333">${row.p99}</text>`)
  })
  parts.push(
    `<text x="16" y="${height - 8}" fill="#777">grey: the floor (node:http + mysql2, one JOIN, no cache) · blue: G-Social (AdonisJS 6, built, NODE_ENV=production)</text>`
  )
  parts.push('</svg>')
  return parts.join('\n') + '\n'
}
