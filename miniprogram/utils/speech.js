// 读给我听: WeChat's 同声传译 plugin turns text into speech where the app has it; elsewhere speaking is not
// offered at all (the button hides), rather than failing when tapped.
const config = require('../config')

let player = null

function plugin() {
  if (!config.speechPlugin || typeof requirePlugin !== 'function') return null
  try {
    return requirePlugin('WechatSI')
  } catch (e) {
    return null
  }
}

function available() {
  return !!plugin()
}

// speak reads text aloud in Mandarin; it resolves when playback starts, and rejects where speech is unavailable.
function speak(text) {
  const si = plugin()
  if (!si) return Promise.reject({ code: 'speech_unavailable', message: '这台手机暂时不能朗读' })
  return new Promise((resolve, reject) => {
    si.textToSpeech({
      lang: 'zh_CN',
      tts: true,
      content: text,
      success: (res) => {
        if (!player) player = wx.createInnerAudioContext()
        player.src = res.filename
        player.play()
        resolve()
      },
      fail: () => reject({ code: 'speech_failed', message: '没能读出来，请再点一次' }),
    })
  })
}

module.exports = { available, speak }
