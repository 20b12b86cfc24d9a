// Runs miniprogram-ci's checkCodeQuality (offline) on a folder holding what would be uploaded, and prints the
// results as JSON into a file. A separate Node process: miniprogram-ci expects plain Node, not jest's jsdom, and leaves a file
// watcher running, so the process ends itself.
const fs = require('fs')
const path = require('path')
const ci = require('miniprogram-ci')

const [dir, out] = process.argv.slice(2)
const key = path.join(dir, '..', 'unused.key') // checkCodeQuality never reads the upload key, but a Project wants one
fs.writeFileSync(key, '')
ci.checkCodeQuality(new ci.Project({ appid: 'wx0000000000000000', type: 'miniProgram', projectPath: dir, privateKeyPath: key }))
  .then((results) => {
    fs.writeFileSync(out, JSON.stringify(results))
    process.exit(0)
  }, (err) => {
    console.error(err)
    process.exit(1)
  })
