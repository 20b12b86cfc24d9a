const complaints = require('../../services/complaints')
const fmt = require('../../utils/format')
const { page } = require('../../utils/page')
const { loader } = require('../../utils/list')

// My complaints and where each stands (内容检测中 while WeChat's check has not answered); a button to file a new one.
page({
  data: { items: [], loading: true, loaded: false, error: '', checkingWords: fmt.checkingWords },
  onLoad() {
    this.run = loader(this)
  },
  onShow() {
    return this.load()
  },
  onPullDownRefresh() {
    return this.load().finally(() => wx.stopPullDownRefresh())
  },
  load() {
    return this.run(() => complaints.mine(), (list) =>
      this.setData({ items: list.map((c) => ({ ...c, statusText: fmt.complaintWords[c.status], kindText: fmt.complaintKinds[c.category] || '' })) }))
  },
  open(e) {
    wx.navigateTo({ url: '/pages/complaints/detail?id=' + e.currentTarget.dataset.id })
  },
  create() {
    wx.navigateTo({ url: '/pages/complaints/new' })
  },
})
