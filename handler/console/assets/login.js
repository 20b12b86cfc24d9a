// The sign-in page waits for the phone: every two seconds it asks whether the code was confirmed. The
// session cookie comes with the answer that says so; then the page goes on into the console.
(function () {
  'use strict'
  var scan = document.getElementById('scan')
  if (!scan) return
  var ticket = scan.getAttribute('data-ticket')
  if (!ticket) return // no code was made: nothing to wait for
  var state = document.getElementById('wait-state')
  var stopped = false

  function stop(message) {
    stopped = true
    var code = document.getElementById('code')
    if (code) code.classList.add('hidden')
    state.classList.add('hidden')
    document.getElementById('expired-text').textContent = message
    document.getElementById('expired').classList.remove('hidden')
  }

  function ask() {
    if (stopped) return
    fetch('/console/login/wait', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Accept': 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'ticket=' + encodeURIComponent(ticket),
    }).then(function (res) {
      return res.json().then(function (body) { return { ok: res.ok, body: body } })
    }).then(function (r) {
      if (r.ok && r.body.status === 'signed_in') {
        state.textContent = '已确认，正在进入工作台…'
        window.location.assign(r.body.next)
        return
      }
      if (r.ok) {
        state.textContent = '正在等手机确认…'
        setTimeout(ask, 2000)
        return
      }
      stop(r.body.message || '二维码已失效。')
    }).catch(function () {
      state.textContent = '网络不通，正在重试…'
      setTimeout(ask, 4000)
    })
  }
  setTimeout(ask, 2000)
})()
