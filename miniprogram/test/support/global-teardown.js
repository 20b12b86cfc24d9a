const fs = require('fs')

module.exports = async function () {
  const s = globalThis.__lingongServer
  if (!s) return
  s.server.kill('SIGTERM')
  await new Promise((resolve) => s.server.on('exit', resolve))
  fs.rmSync(s.dir, { recursive: true, force: true })
}
