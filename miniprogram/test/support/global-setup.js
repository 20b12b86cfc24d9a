// Starts the real Go server once for all tests: dev mode (dev WeChat), a fresh embedded database with the
// demo data, on a free loopback port. Page tests talk to it over real HTTP.
const { execFileSync, spawn } = require('child_process')
const fs = require('fs')
const net = require('net')
const os = require('os')
const path = require('path')
const http = require('http')

function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

function ready(url, deadline) {
  return new Promise((resolve, reject) => {
    const tryOnce = () => {
      http.get(url + '/readyz', (res) => {
        res.resume()
        if (res.statusCode === 200) return resolve()
        retry()
      }).on('error', retry)
    }
    const retry = () => (Date.now() > deadline ? reject(new Error('server did not become ready')) : setTimeout(tryOnce, 100))
    tryOnce()
  })
}

module.exports = async function () {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lingong-mp-'))
  const bin = path.join(dir, 'lingong')
  execFileSync('go', ['build', '-o', bin, './server'], { cwd: path.join(__dirname, '..', '..', '..'), stdio: 'inherit' })
  const port = await freePort()
  const logs = fs.openSync(path.join(dir, 'server.log'), 'w')
  const server = spawn(bin, [], {
    env: { PATH: process.env.PATH, HOME: dir, LINGONG_ENV: 'development', LINGONG_ADDR: '127.0.0.1:' + port,
      LINGONG_DB_DSN: 'sqlite:' + path.join(dir, 'db', 'lingong.db'), LINGONG_UPLOAD_DIR: path.join(dir, 'uploads'),
      LINGONG_LOGIN_PER_MINUTE: '10000', LINGONG_LOG_FORMAT: 'text',
      LINGONG_SMS_REPLY_TOKEN: 'mp-test-sms-reply-token' },
    stdio: ['ignore', logs, logs],
  })
  const url = 'http://127.0.0.1:' + port
  await ready(url, Date.now() + 30000)
  process.env.LINGONG_TEST_API = url + '/api/v1'
  globalThis.__lingongServer = { server, dir }
}
