const family = require('../../services/family')
const fmt = require('../../utils/format')
const { today, careMode, messageOf } = require('../../utils/page')

const words = { invited: '等家人接受', active: '在替我办事', revoked: '已收回', expired: '邀请已过期' }

// 亲情代办: the elder invites a family member and sees what was done for them; the family member enters
// the code, then follows and withdraws the elder's applications (applying is on each gig's page).
Page({
  data: { care: false, invite: null, delegates: [], actions: [], elders: [], elderApps: {}, code: '', error: '', today: '' },

  onShow() {
    this.setData({ care: careMode(), today: today() })
    return this.load()
  },

  async load() {
    try {
      const [delegates, actions, elders] = await Promise.all([family.delegates(), family.onBehalf(), family.elders()])
      const elderApps = {}
      for (const e of elders) {
        elderApps[e.elder_id] = (await family.applicationsOf(e.elder_id)).map((a) => ({ ...a, statusText: fmt.applicationWords[a.status] }))
      }
      this.setData({ delegates: delegates.map((d) => ({ ...d, statusText: words[d.status] })), actions, elders, elderApps, error: '' })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  async invite() {
    try {
      this.setData({ invite: await family.invite() })
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  async revoke(e) {
    try {
      await family.revoke(e.currentTarget.dataset.id)
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  onCode(e) { this.setData({ code: e.detail.value }) },

  async accept() {
    try {
      await family.accept(this.data.code.trim().toUpperCase())
      this.setData({ code: '' })
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  async withdrawFor(e) {
    const { elder, app } = e.currentTarget.dataset
    try {
      await family.withdrawFor(elder, app)
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },
})
