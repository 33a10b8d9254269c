/*
| Helpers for Edge templates. Pages receive plain data (the same user data
| the API serializes), so dates arrive as ISO strings.
*/
import edge from 'edge.js'
import { DateTime } from 'luxon'

edge.global('formatDate', (iso: string, format: string) =>
  DateTime.fromISO(iso, { zone: 'utc' }).toFormat(format)
)
