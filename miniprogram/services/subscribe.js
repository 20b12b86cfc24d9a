// Subscribe messages: WeChat shows its sheet only when asked synchronously inside the user's tap, so a page
// fetches the template id when it loads, and asks with it in the tap, before its own request.
const account = require('./account')

let templates = null // the server's list, fetched once; a failure is tried again next time

// template finds the id of the message of that kind ('' when the server offers none).
function template(kind) {
  if (!templates) templates = account.templates().catch((err) => {
    templates = null
    throw err
  })
  return templates.then((list) => (list.find((t) => t.kind === kind) || {}).template_id || '', () => '')
}

// ask shows WeChat's sheet for one message, keeps the user's answer on the server, and calls then(granted); the
// user's action goes on whatever they answer.
function ask(templateId, then) {
  if (!templateId) return then(false)
  wx.requestSubscribeMessage({
    tmplIds: [templateId],
    success: (res) => {
      account.subscribe(res).catch(() => {})
      then(res[templateId] === 'accept')
    },
    fail: () => then(false),
  })
}

module.exports = { template, ask }
