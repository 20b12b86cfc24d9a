const http = require('../utils/request')

module.exports = {
  invite: () => http.post('/me/delegates'),
  delegates: () => http.get('/me/delegates'),
  revoke: (id) => http.del('/me/delegates/' + id),
  accept: (code) => http.post('/me/delegations', { code }),
  elders: () => http.get('/me/elders'),
  applyFor: (elderId, gigId) => http.post('/elders/' + elderId + '/applications', { gig_id: gigId }),
  applicationsOf: (elderId) => http.get('/elders/' + elderId + '/applications'),
  withdrawFor: (elderId, appId) => http.del('/elders/' + elderId + '/applications/' + appId),
  attendanceOf: (elderId) => http.get('/elders/' + elderId + '/attendance'),
  onBehalf: () => http.get('/me/on-behalf'),
  // claim takes over a profile made at the market's window, and keeps the new sign-in it answers with.
  claim: async (ticket, code) => {
    const login = await http.post('/me/claim', { ticket, code })
    http.adopt(login)
    return login
  },
}
