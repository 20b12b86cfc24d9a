// The mini-program: asks for privacy consent where WeChat requires it, follows the user's font size, and
// signs in silently on first use (utils/request.js does it on the first request that needs it).
App({
  globalData: { fontScale: 1 },

  onLaunch() {
    const info = wx.getAppBaseInfo ? wx.getAppBaseInfo() : {}
    const scale = info.fontSizeScaleFactor || 1
    // Large system fonts mean 长辈版 unless the user chose otherwise (utils/page.js careMode).
    this.globalData.fontScale = scale
    this.privacyWatchers = new Set()
    this.privacyResolve = null
    if (wx.onNeedPrivacyAuthorization) {
      // WeChat holds the calling API until resolve is called; every privacy-sheet on screen shows its panel.
      wx.onNeedPrivacyAuthorization((resolve) => {
        this.privacyResolve = resolve
        this.privacyWatchers.forEach((show) => show(true))
      })
    }
  },

  // watchPrivacy lets a privacy-sheet show itself when an API waits for consent; it returns the unsubscribe.
  watchPrivacy(show) {
    this.privacyWatchers.add(show)
    if (this.privacyResolve) show(true)
    return () => this.privacyWatchers.delete(show)
  },

  // answerPrivacy passes the user's answer on to WeChat: 'agree' with the agree button's id, or 'disagree'.
  answerPrivacy(event, buttonId) {
    const resolve = this.privacyResolve
    this.privacyResolve = null
    this.privacyWatchers.forEach((show) => show(false))
    if (resolve) resolve(event === 'agree' ? { event, buttonId } : { event })
  },
})
