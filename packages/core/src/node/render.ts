import { renderToPipeableStream } from 'react-dom/server'
import type { Renderer } from '../server/renderer.js'

/** React's Node renderer as it is: its `pipe()` takes the DocumentWriter, which has the members pipe() uses. */
export const nodeRenderer = renderToPipeableStream as unknown as Renderer
