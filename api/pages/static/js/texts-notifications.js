// @ts-check
// Texts of the inbox and the notification preferences (citizen and clerk pages), [zh-CN, en] by key.
export const NOTIFICATION_TEXTS = {
  'nav.inbox': ['消息', 'Messages'],
  'inbox.title': ['消息中心', 'Messages'],
  'inbox.intro': ['需要您办理或知晓的事项：受理、补正、确认、决定、证照、容缺补交和时限提醒。', 'What you must act on or know: acceptance, supplements, previews to confirm, decisions, certificates, owed materials and deadline cards.'],
  'inbox.empty': ['暂无消息。', 'No messages yet.'],
  'inbox.unread': ['{n} 条未读', '{n} unread'],
  'inbox.unreadLabel': ['未读', 'Unread'],
  'inbox.markRead': ['标为已读', 'Mark read'],
  'inbox.open': ['查看办件', 'Open the case'],
  'inbox.readDone': ['已读', 'Read'],
  'prefs.title': ['通知方式', 'How you are told'],
  'prefs.intro': ['站内消息始终开启。您可另选邮件或短信；地址仅用于发送通知。', 'Messages here are always on. You may also choose email or SMS; addresses are used only to send notifications.'],
  'prefs.language': ['通知语言', 'Language of notifications'],
  'prefs.email': ['通过邮件通知', 'Tell me by email'],
  'prefs.emailAddress': ['邮箱地址', 'Email address'],
  'prefs.sms': ['通过短信通知', 'Tell me by SMS'],
  'prefs.phone': ['手机号码', 'Mobile number'],
  'prefs.save': ['保存', 'Save'],
  'prefs.saved': ['通知方式已保存。', 'Your choice is saved.'],
  'prefs.emailUnavailable': ['本系统未配置邮件发送。', 'This system sends no email.'],
};
