const http = require('../utils/request')

module.exports = {
  code: (gigId) => http.get('/gigs/' + gigId + '/attendance/code'),
  day: (gigId, day) => http.get('/gigs/' + gigId + '/attendance', { day }),
  mark: (gigId, workerId, day, arrivedAt) => http.post('/gigs/' + gigId + '/attendance/mark', { worker_id: workerId, day, arrived_at: arrivedAt }),
  scan: (gigId, token, place) => http.post('/gigs/' + gigId + '/attendance/scan', { token, ...(place || {}) }),
  mine: () => http.get('/me/attendance'),
  confirm: (id) => http.post('/attendance/' + id + '/confirm'),
  contest: (id, note) => http.post('/attendance/' + id + '/contest', { note }),
}
