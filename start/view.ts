/*
| Helpers for Edge templates. Pages receive plain data (the same user data
| the API serializes), so dates arrive as ISO strings.
*/
import edge from 'edge.js'
import { DateTime } from 'luxon'
import app from '@adonisjs/core/services/app'
import { listComponentsOnce } from '#helpers/edge'

// In development each render still sees new components.
if (app.inProduction) listComponentsOnce(edge)

// Date.parse reads the API's ISO strings a few times faster than Luxon's
// fromISO, which a page of posts calls for each post.
edge.global('formatDate', (iso: string, format: string) =>
  DateTime.fromMillis(Date.parse(iso), { zone: 'utc' }).toFormat(format)
)
