// The one place to point the mini-program at a server. In DevTools against `make run`, keep the local
// address and tick 「不校验合法域名」; a devLoginCode makes every launch sign in as the same dev user
// (the dev WeChat turns code X into openid dev-X: "worker", "employer1", "staff", "admin" are demo people).
module.exports = {
  apiBase: 'http://127.0.0.1:8080/api/v1',
  devLoginCode: '',
  // 读给我听 uses WeChat's 同声传译 plugin (WechatSI). Add it to the app in the WeChat console, declare it in
  // app.json ("plugins": {"WechatSI": {"version": "0.3.5", "provider": "wx069ba97219f66d99"}}), then set true.
  speechPlugin: false,
}
