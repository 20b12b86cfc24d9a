const { careMode } = require('../../utils/page')

// The staff workbench: reached from 我的 by staff accounts only (the server answers 404 to anyone else).
Page({
  data: { care: false },
  onLoad() {
    this.setData({ care: careMode() })
  },
  go(e) {
    wx.navigateTo({ url: e.currentTarget.dataset.url })
  },
})
