// The signed-in user: the bearer token, who it names and when it expires, kept in sessionStorage so it lives only
// as long as the browser tab and never reaches another tab or the server's logs.

const KEY = 'errand.session';

export function getSession() {
  let session;
  try {
    session = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
  } catch {
    return null;
  }
  if (!session || typeof session.token !== 'string') return null;
  if (session.expiresAt && Date.parse(session.expiresAt) <= Date.now()) {
    clearSession();
    return null;
  }
  return session;
}

export function setSession(session) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing stored.
  }
}

/** Reads the claims of a pasted token, to know its role; the server verifies it on every call. */
export function sessionFromToken(token) {
  const part = token.trim().split('.')[1];
  if (!part) return null;
  try {
    const json = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/')));
    const principal = { kind: json.kind, id: json.sub, department: json.department, roles: json.roles, subjectType: json.subjectType, name: json.name };
    if (!principal.kind || !principal.id) return null;
    return { token: token.trim(), principal, expiresAt: json.exp ? new Date(json.exp * 1000).toISOString() : null, label: json.name ?? json.sub };
  } catch {
    return null;
  }
}
