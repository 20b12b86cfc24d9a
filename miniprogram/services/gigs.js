const http = require('../utils/request')

function query(params) {
  return Object.keys(params)
    .filter((k) => params[k] !== undefined && params[k] !== '' && params[k] !== null)
    .map((k) => k + '=' + encodeURIComponent(params[k]))
    .join('&')
}

module.exports = {
  // nearby({lat, lng, category, date, settlement, cursor}) → {items, next_cursor}; public, no sign-in needed.
  nearby: (params) => http.get('/gigs?' + query(params), null, false),
  detail: (id) => http.get('/gigs/' + id),
  check: (gig) => http.post('/gigs/check', gig),
  post: (gig) => http.post('/gigs', gig),
  update: (id, gig) => http.put('/gigs/' + id, gig),
  close: (id) => http.post('/gigs/' + id + '/close'),
  mine: () => http.get('/me/gigs'),
  query,
}
