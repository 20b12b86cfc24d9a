const http = require('../utils/request')

module.exports = {
  apply: (gigId) => http.post('/gigs/' + gigId + '/applications'),
  withdraw: (id) => http.del('/applications/' + id),
  mine: () => http.get('/me/applications'),
  applicants: (gigId) => http.get('/gigs/' + gigId + '/applications'),
  accept: (id) => http.post('/applications/' + id + '/accept'),
  reject: (id) => http.post('/applications/' + id + '/reject'),
  complete: (id, amountPaidCents) => http.post('/applications/' + id + '/complete', { amount_paid_cents: amountPaidCents }),
  confirmPay: (id) => http.post('/applications/' + id + '/confirm-pay'),
  dispute: (id, note) => http.post('/applications/' + id + '/dispute', { note }),
  rate: (id, score, comment) => http.post('/applications/' + id + '/rating', { score, comment }),
}
