// The privacy agreement, on every page that uses the location, the photo picker or the phone number. WeChat holds
// such a call until the user agrees (wx.onNeedPrivacyAuthorization); app.js tells every sheet on screen to show.
Component({
  // The page's styles reach inside, so that 长辈版 (.care) and shared classes size this component too.
  options: { addGlobalClass: true },
  data: { shown: false, refused: false },
  lifetimes: {
    attached() {
      this.stop = getApp().watchPrivacy((shown) => this.setData({ shown, refused: false }))
    },
    detached() {
      this.stop && this.stop()
    },
  },
  methods: {
    agreed() {
      getApp().answerPrivacy('agree', 'agree-privacy')
    },
    refuse() {
      getApp().answerPrivacy('disagree')
      this.setData({ refused: true })
    },
    openGuide() {
      wx.openPrivacyContract && wx.openPrivacyContract({})
    },
  },
})
