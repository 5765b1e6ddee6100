// What a browser project (DOM library) sees: the library, every element and WebGPU's own types.
import { Sequential, type GpuContext } from 'shadernet';
import { SnDecisionMap, SnMetricsChart } from 'shadernet/components';
import 'shadernet/components/sn-dataset-view';

type IsAny<T> = 0 extends 1 & T ? true : false;
type NotAny<T> = IsAny<T> extends true ? never : T;
function notAny<T>(value: NotAny<T>): T {
  return value;
}

export function page(context: GpuContext): void {
  const map = notAny<SnDecisionMap>(document.createElement('sn-decision-map'));
  map.model = new Sequential();
  const chart = notAny<SnMetricsChart>(document.createElement('sn-metrics-chart'));
  const view = notAny<HTMLElementTagNameMap['sn-dataset-view']>(document.querySelector('sn-dataset-view')!);
  // With the DOM library the device is WebGPU's GPUDevice: its methods typecheck.
  const buffer = context.device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE });
  // @ts-expect-error an unknown element property (would compile if the element were `any`)
  map.noSuchProperty = 1;
  console.log(chart, view, buffer);
}
