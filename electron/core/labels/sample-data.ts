// A realistic label for tests, the bench and `shopfleet label render` previews: long Chinese address, masked phone.
import type { LabelData } from './templates.ts';

export function sampleLabelData(over: Partial<LabelData> = {}): LabelData {
  return {
    sortCode: '771AG-07 K88',
    waybillNo: 'ZT7730012345678',
    carrierName: '中通快递',
    receiver: {
      name: '王小明',
      phone: '138****5678',
      address: '浙江省杭州市西湖区文三路西溪街道华星时代广场A座十二楼1203室（请放前台，谢谢）',
    },
    sender: { name: '杭州好物旗舰店', phone: '0571-88886666', address: '浙江省杭州市余杭区仓前街道文一西路998号海创园5号楼' },
    itemSummary: '纯棉短袖T恤 白色 XL ×2；运动袜 黑色 均码 ×3；赠品：帆布袋 ×1',
    buyerMessage: '请尽快发货，周末不在家',
    seq: 3,
    total: 20,
    customText: '易碎品 轻拿轻放',
    ...over,
  };
}
