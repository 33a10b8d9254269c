import { test } from '@japa/runner'
import sharp from 'sharp'
import { writeFile, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import drive from '@adonisjs/drive/services/main'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import { ProfilePicture } from '#services/pictures/profile_picture'
import { jpegWithExif } from '#tests/helpers'

/** Just the fields of a MultipartFile the service reads. */
async function upload(bytes: Buffer, name = 'upload.jpg') {
  const dir = await mkdtemp(join(tmpdir(), 'gsocial-upload-'))
  const tmpPath = join(dir, name)
  await writeFile(tmpPath, bytes)
  return { tmpPath, size: bytes.length, clientName: name } as MultipartFile
}

test.group('ProfilePicture', (group) => {
  group.each.setup(() => {
    drive.fake()
    return () => drive.restore()
  })

  test('stores a square WebP with no EXIF under a generated key', async ({ assert }) => {
    const key = await new ProfilePicture().store(
      await upload(await jpegWithExif(400, 100), 'me.jpg')
    )
    assert.match(key, /^profile_pics\/[0-9a-f-]{36}\.webp$/)
    const metadata = await sharp(await drive.use().getBytes(key)).metadata()
    assert.equal(metadata.format, 'webp')
    assert.equal(metadata.width, 512)
    assert.equal(metadata.height, 512)
    assert.isUndefined(metadata.exif)
  })

  test('accepts PNG, WebP and GIF by content whatever the name', async ({ assert }) => {
    const base = sharp({ create: { width: 20, height: 20, channels: 4, background: '#fff' } })
    for (const bytes of [
      await base.clone().png().toBuffer(),
      await base.clone().webp().toBuffer(),
      await base.clone().gif().toBuffer(),
    ]) {
      const key = await new ProfilePicture().store(await upload(bytes, 'whatever.txt'))
      assert.isTrue(await drive.use().exists(key))
    }
  })

  test('refuses {title}')
    .with([
      { title: 'a text file named .jpg', bytes: Buffer.from('hello'), rule: 'file.image' },
      { title: 'a zero-byte file', bytes: Buffer.alloc(0), rule: 'file.image' },
      {
        title: 'an SVG (it can carry scripts)',
        bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
        rule: 'file.image',
      },
    ])
    .run(async ({ assert }, { bytes, rule }) => {
      const error = await new ProfilePicture().store(await upload(bytes)).catch((e) => e)
      assert.equal(error.status, 422)
      assert.equal(error.rule, rule)
      assert.equal(error.field, 'profile_picture')
    })

  test('refuses an image with too many pixels before decoding it', async ({ assert }) => {
    const huge = await sharp({
      create: { width: 6000, height: 6000, channels: 3, background: '#000' },
    })
      .png({ compressionLevel: 9 })
      .toBuffer()
    const error = await new ProfilePicture().store(await upload(huge)).catch((e) => e)
    assert.equal(error.status, 422)
    assert.equal(error.rule, 'file.dimensions')
  })

  test('refuses a file over the size limit with 413', async ({ assert }) => {
    const file = { tmpPath: '/nonexistent', size: 3 * 1024 * 1024, clientName: 'x.jpg' }
    const error = await new ProfilePicture().store(file as MultipartFile).catch((e) => e)
    assert.equal(error.status, 413)
    assert.equal(error.rule, 'file.size')
  })
})
