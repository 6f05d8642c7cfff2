import type { EncodedFrames } from '../src/wire/encode.js'

/** Encoded frames as a text stream, one chunk per read, the way the document path receives them. */
export function textStream(frames: EncodedFrames): ReadableStream<string> {
  if (typeof frames === 'string') {
    return new ReadableStream<string>({
      start(c) {
        c.enqueue(frames)
        c.close()
      },
    })
  }
  return new ReadableStream<string>({
    start(c) {
      frames.listen(
        (head, body) => c.enqueue(`${head}${body}\n`),
        (error) => (error === undefined ? c.close() : c.error(error)),
      )
    },
  })
}

/** Encoded frames as bytes, the way a navigation response body delivers them. */
export function byteStream(frames: EncodedFrames): ReadableStream<Uint8Array> {
  return textStream(frames).pipeThrough(new TextEncoderStream())
}

/** Reads frames to the end, as one text. */
export function readAll(frames: EncodedFrames): Promise<string> {
  if (typeof frames === 'string') return Promise.resolve(frames)
  return new Promise((resolve, reject) => {
    let text = ''
    frames.listen(
      (head, body) => (text += `${head}${body}\n`),
      (error) => (error === undefined ? resolve(text) : reject(error)),
    )
  })
}
