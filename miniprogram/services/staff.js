const http = require('../utils/request')

module.exports = {
  reviews: (kind) => http.get('/admin/reviews?kind=' + kind),
  approveGig: (id, overrideReason) => http.post('/admin/gigs/' + id + '/approve', overrideReason ? { override_reason: overrideReason } : undefined),
  rejectGig: (id, reason) => http.post('/admin/gigs/' + id + '/reject', { reason }),
  employerIdentity: (id) => http.get('/admin/employers/' + id + '/identity'),
  approveEmployer: (id) => http.post('/admin/employers/' + id + '/approve'),
  rejectEmployer: (id, reason) => http.post('/admin/employers/' + id + '/reject', { reason }),
  complaints: (status) => http.get('/admin/complaints' + (status ? '?status=' + status : '')),
  complaint: (id) => http.get('/admin/complaints/' + id),
  moveComplaint: (id, to, note) => http.post('/admin/complaints/' + id + '/status', { to, note }),
  push: (push) => http.post('/admin/pushes', push),
  registerWalkIn: (person) => http.post('/admin/workers', person),
  bindingCode: (workerNo) => http.post('/admin/workers/' + workerNo + '/binding-code'),
  pushReport: (id) => http.get('/admin/pushes/' + id),
  corrections: () => http.get('/admin/corrections'),
  decideCorrection: (id, accept, note) => http.post('/admin/corrections/' + id + (accept ? '/accept' : '/refuse'), { note }),
}
