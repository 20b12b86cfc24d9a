// The mini-program: asks for privacy consent where WeChat requires it, follows the user's font size, and
// signs in silently on first use (utils/request.js does it on the first request that needs it).
App({
  globalData: { careMode: false, fontScale: 1, privacyResolve: null, needPrivacy: false },

  onLaunch() {
    const info = wx.getAppBaseInfo ? wx.getAppBaseInfo() : {}
    const scale = info.fontSizeScaleFactor || 1
    this.globalData.fontScale = scale
    // Large system fonts mean care mode: bigger text everywhere, same pages.
    this.globalData.careMode = scale > 1
    if (wx.onNeedPrivacyAuthorization) {
      wx.onNeedPrivacyAuthorization((resolve) => {
        // The page shows its consent panel; the agree button (open-type="agreePrivacyAuthorization") resolves.
        this.globalData.needPrivacy = true
        this.globalData.privacyResolve = resolve
        const pages = getCurrentPages()
        const page = pages[pages.length - 1]
        if (page && page.setData) page.setData({ needPrivacy: true })
      })
    }
  },

  agreedPrivacy() {
    const resolve = this.globalData.privacyResolve
    this.globalData.needPrivacy = false
    this.globalData.privacyResolve = null
    if (resolve) resolve({ buttonId: 'agree-privacy', event: 'agree' })
  },
})
