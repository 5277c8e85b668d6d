/** The SMTP email sender (nodemailer): loaded by the composition root only when SMTP_URL is set. */
export { createSmtpEmailSender, type SmtpSenderOptions } from './email-smtp.ts';
