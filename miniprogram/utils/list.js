const { messageOf } = require('./page')

// loader keeps a list page's loading, loaded and error fields, and drops an answer that a newer request has
// overtaken (a filter tapped while the list loads shows that filter's list, not the older one).
// run(fetch, show): fetch() asks the server; show(answer) puts a fresh answer on the page.
function loader(page) {
  let latest = 0
  return async function run(fetch, show) {
    const mine = ++latest
    page.setData({ loading: true, error: '' })
    try {
      const answer = await fetch()
      if (mine !== latest) return
      show(answer)
      page.setData({ loaded: true, loading: false })
    } catch (err) {
      if (mine === latest) page.setData({ error: messageOf(err), loading: false })
    }
  }
}

module.exports = { loader }
