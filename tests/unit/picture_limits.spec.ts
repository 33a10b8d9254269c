/**
 * Issue 25, point 4: pictures that cannot stall the server. The header
 * decides what is refused; each refused image below is cut short after its
 * first bytes, so decoding it would fail as "not an image": the specific
 * rule proves nothing was decoded.
 */
import { test } from '@japa/runner'
import type { Group } from '@japa/runner/core'
import sharp, { type Sharp } from 'sharp'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import drive from '@adonisjs/drive/services/main'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import { PostImage } from '#services/pictures/post_image'
import { ProfilePicture } from '#services/pictures/profile_picture'

let folder: string

/** Just the fields of a MultipartFile the service reads. */
async function upload(bytes: Buffer, name: string) {
  const tmpPath = join(folder, name)
  await writeFile(tmpPath, bytes)
  return { tmpPath, size: bytes.length, clientName: name } as MultipartFile
}

/** A PNG's header and the start of its pixel data, nothing more. */
async function truncatedPng(
  width: number,
  height: number,
  { sixteenBit = false, interlaced = false } = {}
) {
  let image = sharp({ create: { width, height, channels: 3, background: '#808080' } })
  if (sixteenBit) image = image.toColourspace('rgb16')
  const png = await image.png({ progressive: interlaced, compressionLevel: 1 }).toBuffer()
  return png.subarray(0, 4096)
}

/** Fixed noise (a linear congruential generator), blurred a little: photo-like detail. */
function noisyPixels(width: number, height: number) {
  const pixels = Buffer.alloc(width * height * 3)
  let seed = 25
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
    pixels[i] = 128 + Math.round(((seed / 2 ** 31) * 2 - 1) * 40)
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } }).blur(0.6)
}

/** Each test with a fake drive and a fresh folder for its uploads. */
function fakeDriveAndFolder(group: Group) {
  group.each.setup(async () => {
    drive.fake()
    folder = await mkdtemp(join(tmpdir(), 'gs-pictures-'))
    return async () => {
      drive.restore()
      await rm(folder, { recursive: true, force: true })
    }
  })
}

test.group('Pictures / refused from the header, before decoding', (group) => {
  fakeDriveAndFolder(group)

  test('refuses {title} with 422 and rule {rule}')
    .with([
      {
        title: 'more than 25 million pixels (5001×5000)',
        bytes: () => truncatedPng(5001, 5000),
        rule: 'file.dimensions',
        message: 'The image must be at most 25 megapixels',
      },
      {
        title: 'a 5000×5000 16-bit interlaced PNG',
        bytes: () => truncatedPng(5000, 5000, { sixteenBit: true, interlaced: true }),
        rule: 'file.depth',
        message: 'The image must have 8 bits per colour channel (not 16)',
      },
      {
        title: 'a small 16-bit PNG',
        bytes: () => truncatedPng(100, 100, { sixteenBit: true }),
        rule: 'file.depth',
        message: 'The image must have 8 bits per colour channel (not 16)',
      },
      {
        title: 'an interlaced PNG over 4 million pixels (2001×2000)',
        bytes: () => truncatedPng(2001, 2000, { interlaced: true }),
        rule: 'file.interlaced',
        message: 'The image must be at most 4 megapixels when it is an interlaced PNG',
      },
    ])
    .run(async ({ assert }, { bytes, rule, message }) => {
      const error = await new PostImage()
        .store(await upload(await bytes(), 'picture.png'))
        .catch((e) => e)
      assert.equal(error.status, 422)
      assert.equal(error.field, 'image')
      assert.equal(error.rule, rule)
      assert.equal(error.message, message)
    })

  test('accepts an interlaced PNG within 4 million pixels', async ({ assert }) => {
    const png = await sharp({
      create: { width: 1000, height: 1000, channels: 3, background: '#123' },
    })
      .png({ progressive: true })
      .toBuffer()
    const key = await new ProfilePicture().store(await upload(png, 'small.png'))
    assert.isTrue(await drive.use().exists(key))
  })
})

test.group('Pictures / decoded one at a time, stored no larger than needed', (group) => {
  fakeDriveAndFolder(group)

  test('four uploads at once are decoded one after the other', async ({ assert }) => {
    const bytes = await noisyPixels(2000, 2000).jpeg().toBuffer()
    const files = await Promise.all([1, 2, 3, 4].map((i) => upload(bytes, `${i}.jpg`)))
    // Every pixel pipeline ends in toBuffer: count those in flight.
    const toBuffer = sharp.prototype.toBuffer
    let running = 0
    let most = 0
    sharp.prototype.toBuffer = function (this: Sharp, ...args: any[]) {
      most = Math.max(most, ++running)
      return (toBuffer as any).apply(this, args).finally(() => running--)
    } as any
    try {
      await Promise.all(files.map((file) => new PostImage().store(file)))
    } finally {
      sharp.prototype.toBuffer = toBuffer
    }
    assert.equal(most, 1)
  }).timeout(60_000)

  test('a JPEG that WebP at the first quality would enlarge is stored no larger than uploaded', async ({
    assert,
  }) => {
    const jpeg = await noisyPixels(1200, 1200).jpeg({ quality: 50 }).toBuffer()
    const atFirstQuality = await sharp(jpeg).webp({ quality: 82 }).toBuffer()
    assert.isAbove(atFirstQuality.length, jpeg.length) // the case of the issue (830 KB → 1.58 MB)

    const key = await new PostImage().store(await upload(jpeg, 'photo.jpg'))
    const stored = await drive.use().getBytes(key)
    assert.isAtMost(stored.length, jpeg.length)
    const { width, height, format } = await sharp(stored).metadata()
    assert.deepEqual({ width, height, format }, { width: 1200, height: 1200, format: 'webp' })
  }).timeout(30_000)

  test('a large picture is bounded to its kind: 1600 px for a post', async ({ assert }) => {
    const png = await sharp({
      create: { width: 4000, height: 1000, channels: 3, background: '#abc' },
    })
      .png()
      .toBuffer()
    const key = await new PostImage().store(await upload(png, 'wide.png'))
    const { width, height } = await sharp(await drive.use().getBytes(key)).metadata()
    assert.deepEqual({ width, height }, { width: 1600, height: 400 })
  })
})
