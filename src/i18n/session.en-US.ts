// English for signing in at a station joined to a team: the sign-in screen and the quick switch in
// the header. Same keys as session.zh-CN.ts.
export const sessionEnUS = {
  session: {
    title: 'Sign in to {{team}}',
    station: 'Station: {{station}}',
    pickPerson: 'Pick your name',
    noPeople: 'No list of the team yet: connect to the team hub and try again',
    offline: 'The team hub is out of reach: only people who signed in at this station before can sign in offline',
    password: 'Password',
    pin: 'PIN',
    usePin: 'Use my PIN',
    usePassword: 'Use my password',
    signIn: 'Sign in',
    signingIn: 'Signing in…',
    knownHere: 'works offline',
    hasPin: 'has a PIN',
    switch: 'Switch',
    switchTitle: 'Switch to someone else',
    signOut: 'Sign out',
    cancel: 'Cancel',
  },
};
