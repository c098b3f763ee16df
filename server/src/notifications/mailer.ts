// Sending email through the SMTP server the operator named (ANDECHA_SMTP_URL), with nodemailer. One transport per
// process, pooled connections off: a digest run sends a few hundred messages at most, once a day.
import nodemailer from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** the same for a re-send of the same content, so a re-send after a crash can be recognised as one */
  messageId: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * Why a send failed, for the caller's choice: `recipient` (the server refused this address: trying again will not
 * help) or `server` (down, unreachable, refusing us: try again later).
 */
export function sendFailure(err: unknown): 'recipient' | 'server' {
  const e = err as { responseCode?: number; command?: string } | null;
  return e?.responseCode !== undefined && e.responseCode >= 500 && e.command === 'RCPT TO' ? 'recipient' : 'server';
}

export function smtpMailer(url: string, from: string): Mailer {
  // a server that does not answer fails the run within seconds, not the two minutes nodemailer waits by default
  const timeouts = new URLSearchParams({
    connectionTimeout: '10000',
    greetingTimeout: '10000',
    socketTimeout: '30000',
  });
  const transport = nodemailer.createTransport(`${url}${url.includes('?') ? '&' : '?'}${timeouts}`);
  return {
    async send(m) {
      await transport.sendMail({
        from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: m.messageId,
      });
    },
    close: () => transport.close(),
  };
}
