// Simplified Chinese for signing in at a station joined to a team: the sign-in screen and the quick
// switch in the header. Spread into zh-CN.ts; en-US has the same keys (session.en-US.ts).
export const sessionZhCN = {
  session: {
    title: '登录 {{team}}',
    station: '工作站：{{station}}',
    pickPerson: '选择你的名字',
    noPeople: '还没有团队成员的名单：请连上团队服务器后再试',
    offline: '连不上团队服务器：只有在这台工作站登录过的人可以离线登录',
    password: '密码',
    pin: 'PIN 码',
    usePin: '用 PIN 登录',
    usePassword: '用密码登录',
    signIn: '登录',
    signingIn: '正在登录…',
    knownHere: '可离线登录',
    hasPin: '有 PIN',
    switch: '切换',
    switchTitle: '切换到其他人',
    signOut: '退出登录',
    cancel: '取消',
  },
};
