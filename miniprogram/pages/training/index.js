const info = require('../../services/info')
const subscribe = require('../../services/subscribe')
const fmt = require('../../utils/format')
const { page, messageOf, confirm } = require('../../utils/page')
const { loader } = require('../../utils/list')

// 技能培训: the courses open for sign-up; the worker picks the session that suits them, can cancel it, and is
// reminded the day before when they allow the message.
page({
  data: { items: [], mine: [], loading: true, loaded: false, error: '', reminderTemplate: '', noNotice: false, busy: false },

  onLoad() {
    this.run = loader(this)
    subscribe.template('training_reminder').then((t) => this.setData({ reminderTemplate: t }))
  },

  onShow() {
    return this.load()
  },

  onPullDownRefresh() {
    return this.load().finally(() => wx.stopPullDownRefresh())
  },

  load() {
    return this.run(() => Promise.all([info.trainings(), info.myEnrollments().catch(() => [])]), ([items, mine]) => {
      const when = (s) => fmt.day(s.date) + ' ' + s.start_time + '到' + s.end_time
      const taken = new Set(mine.filter((e) => e.status === 'active').map((e) => e.session_id))
      this.setData({
        items: items.map((t) => ({ ...t, kindText: t.kind === 'order' ? '订单式（结业可上岗）' : '菜单式（自己挑时间）',
          sessions: t.sessions.map((s) => ({ ...s, label: when(s) + (taken.has(s.id) ? ' 已报名' : ' 剩' + s.seats_left + '个名额'),
            off: taken.has(s.id) || s.seats_left === 0 || !t.signup_open })) })),
        mine: mine.filter((e) => e.status === 'active').map((e) => ({ ...e, when: when(e.session) })),
      })
    })
  },

  // enroll asks for the reminder inside the tap, then signs up for the session.
  enroll(e) {
    if (this.data.busy) return
    const { training, session } = e.currentTarget.dataset
    this.setData({ busy: true, error: '' })
    subscribe.ask(this.data.reminderTemplate, async (granted) => {
      this.setData({ noNotice: !granted })
      try {
        await info.enroll(training, session)
        wx.showToast({ title: granted ? '报名成功，上课前一天会提醒您' : '报名成功，请记好上课时间', icon: 'none' })
        await this.load()
      } catch (err) {
        if (err.code === 'profile_missing') return wx.navigateTo({ url: '/pages/register/worker' })
        this.setData({ error: messageOf(err) })
      } finally {
        this.setData({ busy: false })
      }
    })
  },

  async cancel(e) {
    const mine = this.data.mine.find((x) => x.id === e.currentTarget.dataset.id)
    if (!(await confirm('不去上“' + mine.training.title + '”了？', mine.when + '的名额会让给别人。以后还可以再报。', '取消报名'))) return
    try {
      await info.cancelEnrollment(mine.id)
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },
})
