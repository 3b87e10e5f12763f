// GOV.UK Frontend components, then the session-expiry warning.
import { initAll } from '../vendor/govuk/govuk-frontend.min.js'

initAll()

// Warn before the server ends an idle session (WCAG 2.2.1 Timing Adjustable): show a banner with a
// "Stay signed in" button a little before expiry; when time runs out, go to the sign-in page.
const body = document.body
const total = Number(body.dataset.sessionSeconds || 0)
const warnBefore = Number(body.dataset.sessionWarningSeconds || 120)
const banner = document.querySelector('[data-session-warning]')
if (total > 0 && banner) {
  let warnTimer, expireTimer
  const schedule = () => {
    clearTimeout(warnTimer); clearTimeout(expireTimer)
    banner.hidden = true
    warnTimer = setTimeout(() => {
      banner.hidden = false
      banner.querySelector('[data-session-keep-alive]').focus()
    }, Math.max(total - warnBefore, 0) * 1000)
    expireTimer = setTimeout(() => {
      window.location.href = body.dataset.signOutUrl
    }, total * 1000)
  }
  banner.querySelector('[data-session-keep-alive]').addEventListener('click', async () => {
    const response = await fetch(body.dataset.keepAliveUrl, { credentials: 'same-origin' })
    if (response.ok) schedule()
    else window.location.href = body.dataset.signOutUrl
  })
  schedule()
}
