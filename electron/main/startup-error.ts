// Turns a core that could not start into a dialog a person can act on (in Chinese, with the fix).
import { dialog } from 'electron';
import type { ApiError } from '../shared/result.ts';

export interface StartupErrorText {
  title: string;
  message: string;
}

export function describeStartupError(error: ApiError, isPackaged: boolean): StartupErrorText {
  switch (error.code) {
    case 'NATIVE_ABI_MISMATCH':
      return {
        title: '数据库模块与 Electron 不匹配',
        message: isPackaged
          ? `内置的 better-sqlite3 无法在此版本的应用中加载。请重新安装 ShopFleet。\n\n${error.message}`
          : `better-sqlite3 需要为 Electron 单独编译。请在项目目录运行：\n\n  npm run build:native-electron\n\n然后重新执行 npm start。\n\n${error.message}`,
      };
    case 'DB_NEWER_THAN_APP':
      return { title: '数据库版本比应用新', message: `此数据库由更新版本的 ShopFleet 写入，请先升级应用。\n\n${error.message}` };
    case 'DB_DAMAGED':
      return {
        title: '数据库文件已损坏',
        message: `请关闭 ShopFleet，把损坏的数据库文件改名留存，再用它旁边最新的备份（文件名以 .bak- 结尾）覆盖它；备份之后的订单会在下次同步时从平台重新拉取。\n\n${error.message}`,
      };
    case 'DB_READ_ONLY':
      return { title: '数据库无法写入', message: `请让当前用户可以写入数据库文件及其文件夹，或把数据目录放到可写的磁盘上，然后重新打开 ShopFleet。\n\n${error.message}` };
    case 'DISK_FULL':
      return { title: '磁盘已满', message: `请在数据库所在的磁盘上清理出空间，然后重新打开 ShopFleet；数据没有丢失。\n\n${error.message}` };
    default:
      return { title: '核心服务无法启动', message: `${error.message}\n\n错误代码：${error.code}` };
  }
}

export function showStartupError(error: ApiError, isPackaged: boolean): void {
  const text = describeStartupError(error, isPackaged);
  dialog.showErrorBox(text.title, text.message);
}
