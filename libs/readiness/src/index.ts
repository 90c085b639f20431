// Readiness notification for services: write one newline to the notification fd (s6's protocol), then close it.
export { checkNotifyFd, notifyReady, parseNotifyFd, ReadinessError } from './notify.js';
