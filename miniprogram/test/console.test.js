// 扫码登录 the staff console, from the phone: the PC's sign-in page shows a code for a ticket; scanning it opens
// 在电脑上登录工作台？ with the PC's address and browser. A worker is told only staff may sign in; the staff
// member confirms and the waiting PC gets its session; the code cannot be used twice; the phone ends the PC's
// console again. The PC's side is plain HTTP against the same server, as its page's script does it.
const http = require('http')
const { Phone } = require('./support/phone')

const origin = () => process.env.LINGONG_TEST_API.replace(/\/api\/v1$/, '')

// pc opens the console's sign-in page as a browser would and keeps its cookies (node's http: the test
// environment has no fetch).
async function pc() {
  const cookies = {}
  const send = (path, { method = 'GET', body = '', headers = {} } = {}) => new Promise((resolve, reject) => {
    const Cookie = Object.entries(cookies).filter(([, v]) => v).map(([k, v]) => k + '=' + v).join('; ')
    const req = http.request(origin() + path, { method, headers: { Cookie, ...headers } }, (res) => {
      for (const c of res.headers['set-cookie'] || []) {
        const [name, value] = c.split(';')[0].split('=')
        cookies[name] = value
      }
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d) => { text += d })
      res.on('end', () => resolve({ status: res.statusCode, location: res.headers.location, text }))
    })
    req.on('error', reject)
    req.end(body)
  })
  const page = (await send('/console/login')).text
  const ticket = page.match(/data-ticket="([A-Za-z0-9_-]+)"/)[1]
  return {
    ticket,
    wait: async () => JSON.parse((await send('/console/login/wait', { method: 'POST', body: 'ticket=' + ticket,
      headers: { Origin: origin(), Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' } })).text),
    review: () => send('/console/review'),
  }
}

test('a staff member signs the PC in by scanning; a worker cannot; the code works once; the phone signs the PC out', async () => {
  const desk = await pc()
  expect(await desk.wait()).toEqual({ status: 'waiting' })

  const workerPhone = new Phone({ user: 'worker' })
  const refused = await workerPhone.open('pages/console/login?scene=' + desk.ticket)
  await workerPhone.until(() => !refused.data.loading, 'the ticket read')
  expect(refused.text()).toContain('只有零工市场的工作人员和管理员能登录工作台')
  expect(refused.text()).not.toContain('确认登录')

  const staffPhone = new Phone({ user: 'staff' })
  const confirm = await staffPhone.open('pages/console/login?scene=' + desk.ticket)
  await staffPhone.until(() => !confirm.data.loading, 'the ticket read')
  expect(confirm.text()).toContain('在电脑上登录工作台？')
  expect(confirm.text()).toContain('电脑的地址：127.0.0.1')
  await confirm.tap('确认登录')
  expect(confirm.text()).toContain('已确认，电脑上会自动进入工作台')

  expect(await desk.wait()).toMatchObject({ status: 'signed_in' })
  expect((await desk.review()).status).toBe(200)

  // Leaving the desk: the phone ends the PC's console, which is back at the sign-in page on its next click.
  await confirm.tap('退出电脑上的工作台')
  expect(confirm.text()).toContain('电脑上的工作台已退出')
  const after = await desk.review()
  expect(after.status).toBe(303)
  expect(after.location).toBe('/console/login?ended=phone_logout')

  // The same code scanned again.
  const again = await staffPhone.open('pages/console/login?scene=' + desk.ticket)
  await staffPhone.until(() => !again.data.loading, 'the ticket read')
  expect(again.text()).toContain('已经用过了')
  expect(again.text()).not.toContain('确认登录')
})

test('a code opened without its ticket says what to do', async () => {
  const staffPhone = new Phone({ user: 'staff' })
  const empty = await staffPhone.open('pages/console/login')
  expect(empty.text()).toContain('请在电脑上刷新二维码再扫')
})
