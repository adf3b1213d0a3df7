// Opens an order's drawer on the workbench from anywhere (a task, a mention).
import { useNav } from '../../app/nav-store.ts';
import { useOrders } from '../orders/store.ts';

export function openOrder(orderId: string): void {
  useNav.getState().go('orders');
  useOrders.getState().openDrawer(orderId);
}
