import type { PlatformRequest as IncomingMessage } from './platform.js'
import { isbot } from 'isbot'
import type { ResolvedConfig } from '../config.js'

// isbot's pattern costs ~5 µs on a browser's user agent; the same few agents come again and again.
const verdicts = new Map<string, boolean>()
const MAX_VERDICTS = 1000

function isBotAgent(agent: string | undefined): boolean {
  if (!agent) return false
  let verdict = verdicts.get(agent)
  if (verdict === undefined) {
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear()
    verdict = isbot(agent)
    verdicts.set(agent, verdict)
  }
  return verdict
}

/**
 * Whether a document request gets the finished page in one response rather than the stream: bots and
 * crawlers (which may not run the scripts that put streamed content in place), or the app's own rule.
 */
export function wantsWholePage(req: IncomingMessage, config: ResolvedConfig): boolean {
  const bot = isBotAgent(req.headers['user-agent'] as string | undefined)
  return config.wholePage ? config.wholePage(req, bot) : bot
}
