const complaints = require('../../services/complaints')
const subscribe = require('../../services/subscribe')
const { page, fieldErrors, messageOf } = require('../../utils/page')

const categories = [
  { k: 'wage_arrears', t: '欠工钱', pic: 'money' }, { k: 'discrimination', t: '就业歧视', pic: 'law' },
  { k: 'false_posting', t: '招工是假的', pic: 'alert' }, { k: 'fees', t: '收费押金', pic: 'money' },
  { k: 'safety', t: '不安全', pic: 'shield' }, { k: 'other', t: '其他', pic: 'plus' },
]

// Filing a complaint: pick what happened, say it, add photos if there are any, choose whether the employer
// may know who complained.
page({
  data: { categories, category: '', description: '', photos: [], showIdentity: false, gigId: '', errors: {}, error: '', busy: false, progressTemplate: '', noNotice: false },

  onLoad(query) {
    this.setData({ gigId: (query && query.gig) || '' })
    subscribe.template('complaint_progress').then((t) => this.setData({ progressTemplate: t }))
  },

  pick(e) { this.setData({ category: e.currentTarget.dataset.k }) },
  onText(e) { this.setData({ description: e.detail.value }) },
  toggleIdentity() { this.setData({ showIdentity: !this.data.showIdentity }) },

  // choosePhotos uploads each picked photo at once, showing how far it got; a failed one can be tried again.
  choosePhotos() {
    wx.chooseMedia({
      count: 6 - this.data.photos.length,
      mediaType: ['image'],
      sizeType: ['compressed'],
      success: (res) => res.tempFiles.forEach((f) => this.upload(f.tempFilePath)),
    })
  },

  upload(path) {
    const key = path
    const at = () => this.data.photos.findIndex((p) => p.key === key)
    if (at() < 0) this.setData({ photos: this.data.photos.concat([{ key, path, id: 0, progress: 0, failed: false }]) })
    else this.setData({ ['photos[' + at() + '].failed']: false, ['photos[' + at() + '].progress']: 0 })
    // Set only while the photo is still on the form: one removed during its upload is forgotten.
    const set = (patch) => {
      const i = at()
      if (i < 0) return
      const out = {}
      for (const k of Object.keys(patch)) out['photos[' + i + '].' + k] = patch[k]
      this.setData(out)
    }
    return complaints.uploadPhoto(path, (progress) => set({ progress }))
      .then((up) => set({ id: up.id, progress: 100 }))
      .catch((err) => {
        set({ failed: true })
        if (at() >= 0) this.setData({ error: messageOf(err) })
      })
  },

  retryPhoto(e) {
    return this.upload(e.currentTarget.dataset.key)
  },

  removePhoto(e) {
    this.setData({ photos: this.data.photos.filter((p) => p.key !== e.currentTarget.dataset.key) })
  },

  // tapSubmit asks for the progress message inside the tap, then files the complaint.
  tapSubmit() {
    if (this.data.busy) return
    if (this.data.photos.some((p) => !p.id)) {
      return this.setData({ error: this.data.photos.some((p) => p.failed) ? '有照片没传上去，请点“重新上传”或删掉它' : '照片还在上传，传完再提交' })
    }
    subscribe.ask(this.data.progressTemplate, (granted) => {
      this.setData({ noNotice: !granted })
      this.submit()
    })
  },

  async submit() {
    const body = { category: this.data.category, description: this.data.description, photos: this.data.photos.map((p) => p.id),
      show_identity_to_employer: this.data.showIdentity }
    if (this.data.gigId) body.gig_id = Number(this.data.gigId)
    this.setData({ busy: true, errors: {}, error: '' })
    try {
      const c = await complaints.file(body)
      wx.redirectTo({ url: '/pages/complaints/detail?id=' + c.id + (this.data.noNotice ? '&quiet=1' : '') })
    } catch (err) {
      this.setData({ errors: fieldErrors(err), error: messageOf(err) })
    } finally {
      this.setData({ busy: false })
    }
  },
})
