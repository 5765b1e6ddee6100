// The size budget's embedding page: the library and the elements of README's embedding example.
import { Dense, Sequential } from 'shadernet';
import 'shadernet/components/sn-gpu-status';
import 'shadernet/components/sn-dataset-view';
import 'shadernet/components/sn-decision-map';
import 'shadernet/components/sn-metrics-chart';

console.log(new Sequential(), new Dense({ units: 1 }));
