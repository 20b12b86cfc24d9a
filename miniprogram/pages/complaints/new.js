const complaints = require('../../services/complaints')
const { page, fieldErrors, messageOf } = require('../../utils/page')

const categories = [
  { k: 'wage_arrears', t: '欠工钱', pic: 'money' }, { k: 'discrimination', t: '就业歧视', pic: 'law' },
  { k: 'false_posting', t: '招工是假的', pic: 'alert' }, { k: 'fees', t: '收费押金', pic: 'money' },
  { k: 'safety', t: '不安全', pic: 'shield' }, { k: 'other', t: '其他', pic: 'plus' },
]

// Filing a complaint: pick what happened, say it, add photos if there are any, choose whether the employer
// may know who complained.
page({
  data: { categories, category: '', description: '', photos: [], showIdentity: false, gigId: '', errors: {}, error: '', busy: false },

  onLoad(query) {
    this.setData({ gigId: (query && query.gig) || '' })
  },

  pick(e) { this.setData({ category: e.currentTarget.dataset.k }) },
  onText(e) { this.setData({ description: e.detail.value }) },
  toggleIdentity() { this.setData({ showIdentity: !this.data.showIdentity }) },

  choosePhotos() {
    wx.chooseMedia({
      count: 6 - this.data.photos.length,
      mediaType: ['image'],
      sizeType: ['compressed'],
      success: async (res) => {
        for (const f of res.tempFiles) {
          try {
            const up = await complaints.uploadPhoto(f.tempFilePath)
            this.setData({ photos: this.data.photos.concat([{ id: up.id, path: f.tempFilePath }]) })
          } catch (err) {
            this.setData({ error: messageOf(err) })
          }
        }
      },
    })
  },

  async submit() {
    const body = { category: this.data.category, description: this.data.description, photos: this.data.photos.map((p) => p.id),
      show_identity_to_employer: this.data.showIdentity }
    if (this.data.gigId) body.gig_id = Number(this.data.gigId)
    this.setData({ busy: true, errors: {}, error: '' })
    try {
      const c = await complaints.file(body)
      wx.redirectTo({ url: '/pages/complaints/detail?id=' + c.id })
    } catch (err) {
      this.setData({ errors: fieldErrors(err), error: messageOf(err) })
    } finally {
      this.setData({ busy: false })
    }
  },
})
