const http = require('../utils/request')

module.exports = {
  market: (id) => http.get('/markets/' + id, null, false),
  markets: (lat, lng) => http.get('/markets' + (lat ? '?lat=' + lat + '&lng=' + lng : ''), null, false),
  notices: (area) => http.get('/notices' + (area ? '?area=' + area : ''), null, false),
  jobFairs: () => http.get('/job-fairs', null, false),
  shortages: (area) => http.get('/shortages' + (area ? '?area=' + area : ''), null, false),
  wageGuides: (area) => http.get('/wage-guides' + (area ? '?area=' + area : ''), null, false),
  trainings: () => http.get('/trainings?upcoming=true', null, false),
  training: (id) => http.get('/trainings/' + id, null, false),
  enroll: (trainingId, sessionId) => http.post('/trainings/' + trainingId + '/enrollments', { session_id: sessionId }),
  myEnrollments: () => http.get('/me/enrollments'),
  cancelEnrollment: (id) => http.del('/enrollments/' + id),
  plans: () => http.get('/insurance/plans', null, false),
  insure: (planId, startDate) => http.post('/insurance/enrollments', { plan_id: planId, start_date: startDate }),
  myInsurance: () => http.get('/me/insurance'),
  insureGig: (gigId, planId) => http.post('/gigs/' + gigId + '/insurance', { plan_id: planId }),
  reportIncident: (policyId, incident) => http.post('/insurance/enrollments/' + policyId + '/incidents', incident),
}
