const { page } = require('../../utils/page')

// The staff workbench: reached from 我的 by staff accounts only (the server answers 404 to anyone else).
page({
  data: {},
  go(e) {
    wx.navigateTo({ url: e.currentTarget.dataset.url })
  },
})
