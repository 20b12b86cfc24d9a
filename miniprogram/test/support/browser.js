// Headless Chromium for the phone-sized renders, driven by Playwright in a plain Node process. Reads one JSON job
// a line ({file, png}) and answers one JSON line: what the browser measured on that page at 375×667.
const readline = require('readline')
const { chromium } = require('playwright-core')

// measure runs in the page.
function measure() {
  const px = (el, p) => parseFloat(getComputedStyle(el)[p])
  const visible = (r) => r.width > 0 && r.height > 0
  const texts = []
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n.textContent.trim()
    if (!t) continue
    const range = document.createRange()
    range.selectNodeContents(n)
    if (!visible(range.getBoundingClientRect())) continue
    texts.push({ text: t.slice(0, 30), size: px(n.parentElement, 'fontSize') })
  }
  const taps = [...document.querySelectorAll('[data-tap]')].map((el) => {
    const r = el.getBoundingClientRect()
    return { label: el.getAttribute('aria-label') || el.textContent.trim().slice(0, 20), w: Math.round(r.width), h: Math.round(r.height), shown: visible(r) }
  }).filter((t) => t.shown).map(({ shown, ...t }) => t)
  // Text wider than its box, or past the screen's right edge, outside a horizontal scroller.
  const overflow = []
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('[data-scroll="x"]')) continue
    const r = el.getBoundingClientRect()
    if (!visible(r)) continue
    const ox = getComputedStyle(el).overflowX
    if ((ox === 'visible' && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) || r.right > window.innerWidth + 1) {
      overflow.push({ tag: el.tagName.toLowerCase(), cls: String(el.className), text: el.textContent.trim().slice(0, 30), right: Math.round(r.right) })
    }
  }
  const card = document.querySelector('gig-card')
  const bar = document.querySelector('[class~="custom-tab-bar--tab-bar"]')
  // What of the first screen the page can use: the app's tab bar covers the bottom.
  const screenBottom = bar ? Math.round(bar.getBoundingClientRect().top) : window.innerHeight
  return { texts, taps, overflow, firstCardTop: card ? Math.round(card.getBoundingClientRect().top) : null, screenBottom,
    height: document.documentElement.scrollHeight }
}

async function main() {
  const browser = await chromium.launch({ executablePath: process.argv[2], args: ['--no-sandbox', '--disable-gpu', '--disable-quic',
    '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] })
  const context = await browser.newContext({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2 })
  const tab = await context.newPage()
  const lines = readline.createInterface({ input: process.stdin })
  for await (const line of lines) {
    const job = JSON.parse(line)
    try {
      if (job.ping) {
        process.stdout.write('{}\n')
        continue
      }
      await tab.goto('file://' + job.file)
      await tab.evaluate(() => document.fonts.ready)
      const m = await tab.evaluate(measure)
      if (job.png) await tab.screenshot({ path: job.png })
      process.stdout.write(JSON.stringify(m) + '\n')
    } catch (err) {
      process.stdout.write(JSON.stringify({ error: String(err && err.message) }) + '\n')
    }
  }
  await browser.close()
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
