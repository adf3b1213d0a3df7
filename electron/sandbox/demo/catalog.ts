// The sandbox's product catalogue: what the simulated shops sell (titles, SKUs, 商家编码, prices).
// The demo team loads most of it into the local products/skus tables; a few entries are marked
// `unlisted` so their outer codes deliberately match nothing locally (the unmatched_sku case).

export interface CatalogSku {
  /** 商家编码, e.g. "NZ-2301-BK-M". */
  outerSkuCode: string;
  /** As platforms send sku_properties_name: "颜色分类:黑色;尺码:M". */
  skuName: string;
  priceFen: number;
  costFen: number;
  /** EAN-13 for the packing station's scanner. */
  barcode: string;
}

export interface CatalogProduct {
  code: string;
  title: string;
  category: Category;
  skus: CatalogSku[];
  /** 组合装: one sold unit that stands for several SKUs. */
  isBundle: boolean;
  /** 赠品: added free to orders. */
  isGift: boolean;
  /** Not in the demo team's local catalogue: its lines arrive unmatched. */
  unlisted: boolean;
  /** Relative popularity inside its category. */
  weight: number;
}

export const CATEGORIES = ['女装', '零食', '家居', '数码配件', '美妆', '母婴', '运动户外', '宠物用品'] as const;
export type Category = (typeof CATEGORIES)[number];

/** One option dimension: label and [value, code, price delta in fen]. */
type Dim = [label: string, values: [name: string, code: string, deltaFen?: number][]];

interface ProductSpec {
  code: string;
  title: string;
  priceFen: number;
  dims: Dim[];
  weight?: number;
  bundle?: boolean;
  gift?: boolean;
  unlisted?: boolean;
}

const COLORS_BASIC: Dim = ['颜色分类', [['黑色', 'BK'], ['白色', 'WH'], ['杏色', 'AP']]];
const SIZES: Dim = ['尺码', [['S', 'S'], ['M', 'M'], ['L', 'L'], ['XL', 'XL']]];

const SPECS: Record<Category, ProductSpec[]> = {
  女装: [
    { code: 'NZ-2301', title: '法式复古碎花连衣裙女夏季收腰显瘦中长款', priceFen: 15900, dims: [['颜色分类', [['蓝色碎花', 'BL'], ['黑色碎花', 'BK']]], SIZES], weight: 5 },
    { code: 'NZ-2302', title: '纯棉短袖T恤女宽松百搭简约打底衫', priceFen: 4900, dims: [COLORS_BASIC, SIZES], weight: 8 },
    { code: 'NZ-2303', title: '高腰阔腿牛仔裤女直筒垂感拖地裤', priceFen: 12900, dims: [['颜色分类', [['浅蓝', 'LB'], ['深蓝', 'DB']]], ['尺码', [['25', '25'], ['26', '26'], ['27', '27'], ['28', '28']]]], weight: 5 },
    { code: 'NZ-2304', title: '小香风短款针织开衫外套女春秋', priceFen: 18900, dims: [COLORS_BASIC, ['尺码', [['S', 'S'], ['M', 'M'], ['L', 'L']]]], weight: 3 },
    { code: 'NZ-2305', title: '冰丝防晒衣女upf50+透气防紫外线', priceFen: 6900, dims: [['颜色分类', [['白色', 'WH'], ['粉色', 'PK'], ['浅紫', 'LP']]], ['尺码', [['均码', 'F']]]], weight: 4 },
    { code: 'NZ-2399', title: '【新款】真丝衬衫女长袖职业通勤', priceFen: 29900, dims: [['颜色分类', [['香槟色', 'CP']]], SIZES], weight: 1, unlisted: true },
    { code: 'ZP-NZ01', title: '赠品-防尘收纳袋', priceFen: 0, dims: [], gift: true },
  ],
  零食: [
    { code: 'LS-1001', title: '每日坚果混合果仁30包孕妇零食', priceFen: 8990, dims: [['规格', [['750g/30包', '30'], ['375g/15包', '15', -4500]]]], weight: 8 },
    { code: 'LS-1002', title: '手撕牛肉干内蒙古风干牛肉500g', priceFen: 6800, dims: [['口味', [['原味', 'YW'], ['香辣', 'XL'], ['孜然', 'ZR']]]], weight: 6 },
    { code: 'LS-1003', title: '网红辣条大礼包麻辣零食整箱', priceFen: 2990, dims: [['规格', [['20包', '20'], ['40包', '40', 2600]]]], weight: 7 },
    { code: 'LS-1004', title: '低脂全麦面包早餐代餐整箱2斤', priceFen: 3590, dims: [], weight: 5 },
    { code: 'LS-ZH01', title: '零食大礼包组合装（坚果+牛肉干+辣条）', priceFen: 16800, dims: [], weight: 2, bundle: true },
    { code: 'LS-1099', title: '进口黑巧克力85%可可礼盒', priceFen: 9900, dims: [], weight: 1, unlisted: true },
    { code: 'ZP-LS01', title: '赠品-试吃小包装', priceFen: 0, dims: [], gift: true },
  ],
  家居: [
    { code: 'JJ-3101', title: '加厚珊瑚绒四件套床单被套', priceFen: 19900, dims: [['颜色分类', [['灰色', 'GY'], ['豆沙粉', 'PK']]], ['规格', [['1.5m床', '15'], ['1.8m床', '18', 3000]]]], weight: 4 },
    { code: 'JJ-3102', title: '日式陶瓷碗碟套装家用餐具', priceFen: 12800, dims: [['规格', [['16件套', '16'], ['28件套', '28', 6000]]]], weight: 4 },
    { code: 'JJ-3103', title: '抽屉式收纳箱衣柜整理箱塑料', priceFen: 3990, dims: [['规格', [['小号', 'S'], ['大号', 'L', 2000]]]], weight: 7 },
    { code: 'JJ-3104', title: '硅藻泥浴室吸水地垫防滑', priceFen: 2990, dims: [['颜色分类', [['浅灰', 'LG'], ['米白', 'MW']]]], weight: 6 },
    { code: 'JJ-3105', title: '香薰精油家用卧室持久留香', priceFen: 4900, dims: [['香型', [['白茶', 'BC'], ['雪松', 'XS'], ['柑橘', 'GJ']]]], weight: 3 },
    { code: 'JJ-3199', title: '北欧实木床头柜简约小柜子', priceFen: 25900, dims: [], weight: 1, unlisted: true },
  ],
  数码配件: [
    { code: 'SM-5201', title: '20W快充数据线Type-C适用苹果华为', priceFen: 2990, dims: [['规格', [['1米', '1M'], ['2米', '2M', 500]]], ['颜色分类', [['白色', 'WH'], ['黑色', 'BK']]]], weight: 8 },
    { code: 'SM-5202', title: '蓝牙耳机真无线降噪入耳式', priceFen: 19900, dims: [['颜色分类', [['白色', 'WH'], ['黑色', 'BK']]]], weight: 5 },
    { code: 'SM-5203', title: '10000毫安充电宝超薄便携', priceFen: 8900, dims: [['颜色分类', [['白色', 'WH'], ['粉色', 'PK']]]], weight: 5 },
    { code: 'SM-5204', title: '钢化膜全屏覆盖防摔手机贴膜', priceFen: 1990, dims: [['适用型号', [['iPhone 15', 'IP15'], ['iPhone 16', 'IP16'], ['华为Mate60', 'M60']]]], weight: 7 },
    { code: 'SM-ZH01', title: '数码出行组合装（充电宝+数据线）', priceFen: 10900, dims: [], weight: 2, bundle: true },
    { code: 'SM-5299', title: '机械键盘青轴有线游戏键盘', priceFen: 24900, dims: [], weight: 1, unlisted: true },
  ],
  美妆: [
    { code: 'MZ-6101', title: '玻尿酸补水面膜20片装', priceFen: 9900, dims: [], weight: 6 },
    { code: 'MZ-6102', title: '丝绒哑光口红显白不易掉色', priceFen: 12900, dims: [['色号', [['#999正红', '999'], ['#888豆沙', '888'], ['#666枫叶', '666']]]], weight: 6 },
    { code: 'MZ-6103', title: '氨基酸洗面奶温和清洁男女', priceFen: 5900, dims: [['规格', [['120g', '120'], ['200g', '200', 2000]]]], weight: 5 },
    { code: 'MZ-6104', title: '清爽防晒霜SPF50+隔离二合一', priceFen: 8900, dims: [], weight: 5 },
    { code: 'ZP-MZ01', title: '赠品-旅行装小样', priceFen: 0, dims: [], gift: true },
    { code: 'MZ-6199', title: '限定彩妆礼盒', priceFen: 39900, dims: [], weight: 1, unlisted: true },
  ],
  母婴: [
    { code: 'MY-7101', title: '婴儿纸尿裤超薄透气尿不湿', priceFen: 12900, dims: [['尺码', [['S码', 'S'], ['M码', 'M'], ['L码', 'L'], ['XL码', 'XL']]]], weight: 8 },
    { code: 'MY-7102', title: '婴儿湿巾手口专用80抽x10包', priceFen: 4990, dims: [], weight: 6 },
    { code: 'MY-7103', title: '宝宝纯棉连体衣新生儿衣服', priceFen: 7900, dims: [['尺码', [['59cm', '59'], ['66cm', '66'], ['73cm', '73']]]], weight: 4 },
    { code: 'MY-7104', title: '硅胶奶瓶宽口径防胀气', priceFen: 9800, dims: [['规格', [['180ml', '180'], ['240ml', '240', 1000]]]], weight: 3 },
    { code: 'MY-ZH01', title: '新生儿礼盒组合装（连体衣+湿巾）', priceFen: 15900, dims: [], weight: 2, bundle: true },
  ],
  运动户外: [
    { code: 'YD-8101', title: '瑜伽垫加厚加宽防滑健身垫', priceFen: 6900, dims: [['颜色分类', [['紫色', 'PU'], ['蓝色', 'BL']]], ['规格', [['8mm', '8'], ['10mm', '10', 1000]]]], weight: 6 },
    { code: 'YD-8102', title: '速干运动T恤男短袖跑步训练', priceFen: 5900, dims: [COLORS_BASIC, SIZES], weight: 6 },
    { code: 'YD-8103', title: '户外折叠露营椅便携月亮椅', priceFen: 11900, dims: [['颜色分类', [['军绿', 'GN'], ['卡其', 'KQ']]]], weight: 4 },
    { code: 'YD-8104', title: '跳绳计数钢丝健身减肥', priceFen: 2590, dims: [], weight: 5 },
    { code: 'YD-8199', title: '专业登山杖碳素超轻', priceFen: 15900, dims: [], weight: 1, unlisted: true },
  ],
  宠物用品: [
    { code: 'CW-9101', title: '全价成猫粮鱼肉味10斤装', priceFen: 15900, dims: [['规格', [['5kg', '5K'], ['2kg', '2K', -8000]]]], weight: 8 },
    { code: 'CW-9102', title: '豆腐猫砂除臭无尘6L*4袋', priceFen: 5990, dims: [['香型', [['原味', 'YW'], ['绿茶', 'LC'], ['水蜜桃', 'SM']]]], weight: 7 },
    { code: 'CW-9103', title: '狗狗磨牙棒洁齿骨零食', priceFen: 2990, dims: [], weight: 4 },
    { code: 'CW-9104', title: '猫抓板瓦楞纸猫窝耐磨', priceFen: 3990, dims: [['规格', [['小号', 'S'], ['大号', 'L', 2000]]]], weight: 4 },
    { code: 'ZP-CW01', title: '赠品-猫条试吃装', priceFen: 0, dims: [], gift: true },
  ],
};

/** EAN-13 check digit over a 12-digit body, so barcodes scan as valid. */
function ean13(body12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i += 1) sum += Number(body12[i]) * (i % 2 === 0 ? 1 : 3);
  return body12 + String((10 - (sum % 10)) % 10);
}

function expand(spec: ProductSpec, category: Category, productIndex: number): CatalogProduct {
  // The cartesian product of option values; a product with no options has one SKU.
  let combos: [string, string, number][][] = [[]];
  for (const [label, values] of spec.dims) {
    combos = combos.flatMap((c) => values.map(([name, code, delta]) => [...c, [`${label}:${name}`, code, delta ?? 0] as [string, string, number]]));
  }
  const catIndex = CATEGORIES.indexOf(category);
  const skus = combos.map((c, i) => {
    const priceFen = spec.priceFen + c.reduce((s, [, , d]) => s + d, 0);
    return {
      outerSkuCode: c.length > 0 ? `${spec.code}-${c.map(([, code]) => code).join('-')}` : spec.code,
      skuName: c.map(([name]) => name).join(';'),
      priceFen,
      // Cost is 45–60% of price: enough spread for profit reports to mean something.
      costFen: Math.round((priceFen * (45 + ((productIndex * 7 + i * 3) % 16))) / 100),
      barcode: ean13(`69${String(catIndex).padStart(2, '0')}${String(productIndex).padStart(3, '0')}${String(i).padStart(5, '0')}`),
    };
  });
  return {
    code: spec.code,
    title: spec.title,
    category,
    skus,
    isBundle: spec.bundle ?? false,
    isGift: spec.gift ?? false,
    unlisted: spec.unlisted ?? false,
    weight: spec.weight ?? 1,
  };
}

export const CATALOG: readonly CatalogProduct[] = CATEGORIES.flatMap((category) =>
  SPECS[category].map((spec, i) => expand(spec, category, i)),
);

export const productsIn = (category: Category): CatalogProduct[] => CATALOG.filter((p) => p.category === category);
