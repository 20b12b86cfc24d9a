// 读给我听: WeChat's 同声传译 plugin (WechatSI, declared in app.json) turns text into speech; the audio plays
// even when the phone is on silent, because the people who ask for it are the ones who cannot read small text.
const MAX_BYTES = 1000 // the plugin refuses longer text in one call

let player = null

function plugin() {
  try {
    return requirePlugin('WechatSI')
  } catch (e) {
    return null // an old WeChat without the plugin: the button still answers, with a message
  }
}

// clip keeps whole sentences within what the plugin takes at once.
function clip(text) {
  let out = ''
  // Split after each 。！？ without a lookbehind, which older iPhones' JavaScript cannot parse.
  for (const sentence of text.replace(/([。！？])/g, '$1\n').split('\n')) {
    if (encodeURIComponent(out + sentence).replace(/%[0-9A-F]{2}/g, '_').length > MAX_BYTES) break
    out += sentence
  }
  return out || text.slice(0, 300)
}

// speak reads text aloud in Mandarin; it resolves when playback starts.
function speak(text) {
  const si = plugin()
  if (!si) return Promise.reject({ code: 'speech_unavailable', message: '这台手机暂时不能朗读，请把微信升级到最新版' })
  return new Promise((resolve, reject) => {
    si.textToSpeech({
      lang: 'zh_CN',
      tts: true,
      content: clip(text),
      success: (res) => {
        wx.setInnerAudioOption({ obeyMuteSwitch: false })
        if (!player) player = wx.createInnerAudioContext()
        player.stop()
        player.src = res.filename
        player.play()
        resolve()
      },
      fail: () => reject({ code: 'speech_failed', message: '没能读出来，请再点一次' }),
    })
  })
}

module.exports = { speak }
