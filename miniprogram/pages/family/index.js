const family = require('../../services/family')
const fmt = require('../../utils/format')
const { page, today, messageOf, confirm } = require('../../utils/page')
const { loader } = require('../../utils/list')

const words = { invited: '等家人接受', active: '在替我办事', revoked: '已收回', expired: '邀请已过期' }
const actionWords = { apply: '替您报名了一个活', withdraw: '替您取消了一个报名', register: '替您做了求职登记', call: '替您给雇主打了电话',
  binding_code: '给您开了绑定码', claim: '绑定了窗口登记的信息', delegate_accepted: '接受了您的代办邀请' }

// whoDid names the person behind an action done for the user: family, the user themself, or market staff.
function whoDid(a) {
  if (a.note === 'family' || a.action === 'delegate_accepted') return '家人'
  return a.action === 'claim' ? '您' : '工作人员'
}

// 亲情代办: the elder invites a family member and sees what was done for them; the family member enters
// the code, then follows and withdraws the elder's applications (applying is on each gig's page).
page({
  data: { invite: null, delegates: [], actions: [], elders: [], elderApps: {}, code: '', loading: true, loaded: false, error: '', today: '' },

  onLoad() {
    this.run = loader(this)
  },

  onPullDownRefresh() {
    return this.load().finally(() => wx.stopPullDownRefresh())
  },

  onShow() {
    this.setData({ today: today() })
    return this.load()
  },

  load() {
    return this.run(async () => {
      const [delegates, actions, elders] = await Promise.all([family.delegates(), family.onBehalf(), family.elders()])
      const lists = await Promise.all(elders.map((e) => family.applicationsOf(e.elder_id)))
      return { delegates, actions, elders, lists }
    }, ({ delegates, actions, elders, lists }) => {
      const elderApps = {}
      elders.forEach((e, i) => (elderApps[e.elder_id] = lists[i].map((a) => ({ ...a, statusText: fmt.applicationWords[a.status] }))))
      this.setData({ delegates: delegates.map((d) => ({ ...d, statusText: words[d.status] })), elders, elderApps, error: '',
        actions: actions.map((a, i) => ({ key: i, text: fmt.dateTime(a.created_at) + ' ' + whoDid(a) + (actionWords[a.action] || '办了一件事') })) })
    })
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
    if (!(await confirm('收回代办？', '收回后这位家人就不能再替您报名、取消报名了。', '收回'))) return
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
    const person = this.data.elders.find((x) => x.elder_id === elder)
    if (!(await confirm('替' + person.name + '取消报名？', '取消后雇主就知道' + person.name + '不去了。', '取消报名'))) return
    try {
      await family.withdrawFor(elder, app)
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },
})
