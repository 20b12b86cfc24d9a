// Where the mini-program talks to, chosen by the version WeChat is running (envVersion): the developer's
// DevTools (develop) talk to `make run` on this computer; the 体验版 (trial) and the 正式版 (release) talk to
// the market's servers over https, the only scheme WeChat allows outside DevTools. Replace the example domains
// with your own and list them as request/uploadFile 合法域名 in the mini-program's admin console (README, "Publishing").
const servers = {
  develop: 'http://127.0.0.1:8080',
  trial: 'https://test.lingong.example.com',
  release: 'https://lingong.example.com',
}

function envVersion() {
  try {
    return wx.getAccountInfoSync().miniProgram.envVersion || 'release'
  } catch (e) {
    return 'release' // an unknown runtime is treated as the public one: https, no dev sign-in
  }
}

const env = servers[envVersion()] ? envVersion() : 'release'

module.exports = {
  env,
  servers,
  apiBase: servers[env] + '/api/v1',
  // In DevTools only: a code the dev WeChat turns into openid dev-<code> ("worker", "employer1", "staff", "admin"
  // are demo people), so that every launch signs in as the same person. Ignored in trial and release.
  devLoginCode: '',
}
